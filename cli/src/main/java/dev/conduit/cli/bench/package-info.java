/** {@code conduit bench}: the command-line front of the {@code dev.conduit.bench} harness; runs on the calling thread. */
package dev.conduit.cli.bench;
