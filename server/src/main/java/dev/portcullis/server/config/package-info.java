/**
 * The one home of the server's settings: {@link dev.portcullis.server.config.ServerConfig} is a
 * validated record built by {@link dev.portcullis.server.config.ConfigLoader} from defaults, an
 * optional YAML file, {@code PORTCULLIS_*} environment variables and command-line flags, in that
 * order of precedence (later wins).
 */
package dev.portcullis.server.config;
