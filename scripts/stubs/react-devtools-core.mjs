// Ink imports react-devtools-core when DEV=true (a debugging aid that is not installed); the bundle gets this instead.
const devtools = {initialize() {}, connectToDevTools() {}};
export default devtools;
