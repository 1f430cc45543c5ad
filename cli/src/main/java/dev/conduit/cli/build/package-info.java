/** Build-time tools that cli/pom.xml runs on the runtime classpath it copies to cli/target/lib (not used by the command). */
package dev.conduit.cli.build;
