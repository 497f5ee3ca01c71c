package io.ddp.spring.accounts;

import io.ddp.spring.server.ClientConnection;
import tools.jackson.databind.node.ObjectNode;

/**
 * One call of the DDP {@code login} method, as a {@link DdpLoginHandler} sees it.
 *
 * @param options the options object the client sent (the single parameter of
 * {@code login}), EJSON-decoded
 * @param connection the connection logging in
 * @since 0.1.0
 */
public record DdpLoginRequest(ObjectNode options, ClientConnection connection) {

}
