export { KeyDrawer } from './KeyDrawer';
