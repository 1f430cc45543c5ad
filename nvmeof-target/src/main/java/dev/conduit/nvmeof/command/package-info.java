/**
 * NVMe command structures as fabrics carry them: the SQE and CQE layouts, opcodes, properties,
 * features and status codes ({@code (SCT << 8) | SC}, the NVME error domain). Constants only; no threads.
 */
package dev.conduit.nvmeof.command;
