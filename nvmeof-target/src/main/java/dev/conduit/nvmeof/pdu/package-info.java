/**
 * The NVMe/TCP PDU codec (NVMe over Fabrics TCP transport binding): layouts as {@code *Descriptor}
 * classes, {@link dev.conduit.nvmeof.pdu.PduReader} (one bounded receive buffer per connection, every
 * field checked before use, violations as {@link dev.conduit.nvmeof.pdu.PduException} with the
 * termination status) and {@link dev.conduit.nvmeof.pdu.PduWriter} (headers, digests, padding). Each
 * reader and writer belongs to one connection's thread (the writer: under its send lock).
 */
package dev.conduit.nvmeof.pdu;
