/** Conduit scheduler module (see the module README). */
package dev.conduit.scheduler;
