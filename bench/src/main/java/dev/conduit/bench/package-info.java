/** Conduit bench module (see the module README). */
package dev.conduit.bench;
