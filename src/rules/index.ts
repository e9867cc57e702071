// The rule registry, in the order findings are reported.
import machineType from './machine-type.js';
import registerList from './register-list.js';
import psciVersion from './psci-version.js';
import smcccWorkarounds from './smccc-workarounds.js';
import hypercallServices from './hypercall-services.js';
import stolenTime from './stolen-time.js';
import cpuIdentity from './cpu-identity.js';
import idRegisters from './id-registers.js';
import guestErrata from './guest-errata.js';
import probedFacts from './probed-facts.js';
import assumptions from './assumptions.js';
import type { Rule } from './rule.js';

export const rules: readonly Rule[] = [machineType, registerList, psciVersion, smcccWorkarounds, hypercallServices, stolenTime, cpuIdentity, idRegisters, guestErrata, probedFacts, assumptions];

