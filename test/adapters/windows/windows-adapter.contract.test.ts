import fs from 'node:fs';
import { describeContract } from '../../contract/describe-contract';
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { fakeControls } from './fake-controls';
import { fakeHarness } from './fake-harness';

// The fake is compiled here, before the suite is declared: describeContract needs the controls now.
const dir = makeTempDir('win-contract');
const controls = fakeControls(buildFakeSharedObject(dir));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeContract(fakeHarness('windows (fake iphlpapi .so)', controls, { quietMs: 100 }));
