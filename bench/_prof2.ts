import { randomNetwork } from './cpm.bench';
import { schedule } from '@pm/shared/scheduling';
const input = randomNetwork(400000, 1.5, 1);
for (let i = 0; i < 6; i++) schedule(input);
