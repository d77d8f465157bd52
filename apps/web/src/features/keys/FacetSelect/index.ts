export { FacetSelect } from './FacetSelect';
