import packageJson from '../../package.json';

/** The extension / CLI version, from package.json (inlined by the bundler). */
export const version: string = packageJson.version;
