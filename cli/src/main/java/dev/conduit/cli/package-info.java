/** The {@code conduit} command line (picocli): global options, exit codes, subcommand registry. */
package dev.conduit.cli;
