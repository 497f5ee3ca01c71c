/**
 * Spring Security for DDP: the connection's {@code Authentication} (from the handshake or
 * a DDP login), method security around methods and publications, denials as DDP error
 * 403, password logins through an {@code AuthenticationManager}, and the HTTP rules that
 * keep the DDP endpoints reachable.
 */
@NullMarked
package io.ddp.spring.security;

import org.jspecify.annotations.NullMarked;
