/** Conduit cli module (see the module README). */
package dev.conduit.cli;
