/**
 * Benchmarks of nvmeof-target: the initiator's read path against an in-process target on loopback.
 */
package dev.conduit.jmh.nvmeof;
