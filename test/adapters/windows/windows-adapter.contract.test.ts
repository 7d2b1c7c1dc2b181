import fs from 'node:fs';
import { describeContract } from '../../contract/describe-contract';
import { buildFakeSharedObject, makeTempDir } from './fake-build';
import { fakeControls } from './fake-controls';
import { fakeHarness, fakeRouteTrigger } from './fake-harness';

// The fake is compiled here, before the suite is declared: describeContract needs the controls now.
const dir = makeTempDir('win-contract');
const controls = fakeControls(buildFakeSharedObject(dir));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The route half over the fake (under Wine NotifyRouteChange2 never calls back: wine.test.ts runs
// the harness without it and counts its cases).
describeContract({ ...fakeHarness('windows (fake iphlpapi .so)', controls, { quietMs: 100 }), routes: { triggerChange: fakeRouteTrigger(controls) } });
