/**
 * {@code conduit doctor}: one probe class per subsystem, assembled by {@link dev.conduit.cli.doctor.HostReport}.
 * Runs on the command's thread; never throws for missing hardware or libraries.
 */
package dev.conduit.cli.doctor;
