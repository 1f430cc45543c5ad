/**
 * The store subcommands of {@code conduit}: format, put, get, ls, rm, stat and fsck over the data
 * directory ({@code --data}). Each command opens the store on the calling thread, does one thing
 * and closes it; they own no threads or native resources beyond that.
 */
package dev.conduit.cli.store;
