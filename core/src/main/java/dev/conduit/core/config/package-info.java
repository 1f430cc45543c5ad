/**
 * Conduit's configuration: {@link dev.conduit.core.config.Settings} lists every key with its
 * default, {@link dev.conduit.core.config.ConfigLoader} layers defaults, a properties file,
 * {@code CONDUIT_*} environment variables and flags, and {@link dev.conduit.core.config.ConduitConfig}
 * holds the typed result and each value's source. No threads; everything is immutable once built.
 */
package dev.conduit.core.config;
