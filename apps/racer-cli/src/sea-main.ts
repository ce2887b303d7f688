// The entry of the single executable (`pnpm package:win`, `pnpm package:linux`): unpack koffi's
// native module where koffi finds it, then run the ordinary command line.
import sea from 'node:sea';
import { prepareSeaNative } from './sea-native';

prepareSeaNative(sea);
void import('./cli');
