export * from './model';
export * from './markdown';
export * from './mermaid';
export * from './svg';
export * from './explain';
