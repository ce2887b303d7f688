/** Package version marker while the package is extracted. */
export const PACKAGE_NAME = '@gw2race/hub';
