package io.ddp.spring.server.method;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;

/**
 * A method call as a client sent it, for {@link DdpMethodInterceptor interceptors}.
 *
 * @param id the method id the client chose (Meteor counts from 1 on each connection)
 * @param name the method name
 * @param params the arguments, as received; do not modify
 * @param randomSeed the client's seed or {@code null}
 * @since 0.1.0
 */
public record DdpMethodCall(String id, String name, ArrayNode params, @Nullable String randomSeed) {

}
