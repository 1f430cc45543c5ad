/** AWS Signature Version 4: header, presigned-query and streaming-chunk signatures. */
package dev.conduit.objecttier.auth;
