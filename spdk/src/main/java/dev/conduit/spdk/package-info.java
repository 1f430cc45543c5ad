/**
 * SPDK as a Conduit data plane: the {@code spdk} scheduler backend ({@link dev.conduit.spdk.SpdkBackend},
 * one polled queue pair per device thread), SPDK namespaces as scheduler targets and as block-layout
 * namespaces ({@link dev.conduit.spdk.SpdkNamespace}), and the {@code spdk://} namespace provider.
 * The FFM bindings themselves live in native-bindings ({@code dev.conduit.nativebindings.spdk}).
 */
package dev.conduit.spdk;
