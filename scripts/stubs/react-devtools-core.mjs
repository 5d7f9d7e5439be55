// Ink imports react-devtools-core when DEV=true (a debugging aid that is not installed); the bundle gets this instead.
export default {initialize() {}, connectToDevTools() {}};
