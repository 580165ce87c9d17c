/**
 * The {@code portcullis} command line (picocli): one class per subcommand, each a thin shell over
 * the modules that do the work, so everything the CLI does is also usable as a library.
 */
package dev.portcullis.cli;
