/** Conduit block-layout module (see the module README). */
package dev.conduit.blocklayout;
