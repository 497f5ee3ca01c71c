package io.ddp.spring.client.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a declarative DDP client bound to a named connection. Interfaces
 * found by {@link ImportDdpServices} become beans; {@link DdpServiceProxyFactory} creates
 * them by hand.
 *
 * <pre class="code">
 * &#64;DdpService(connection = "remote")
 * interface TodoClient {
 *
 *     &#64;DdpCall("todos.add")
 *     String add(String text);
 *
 *     &#64;DdpCall("todos.list")
 *     CompletableFuture&lt;List&lt;Todo&gt;&gt; list();
 *
 *     &#64;DdpSubscribe("todos.open")
 *     DdpSubscription open();
 *
 * }
 * </pre>
 *
 * @since 0.1.0
 * @see DdpCall
 * @see DdpSubscribe
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DdpService {

	/**
	 * The name of the connection the client uses, as in
	 * {@code ddp.client.connections.<name>}; placeholders ({@code ${...}}) are resolved.
	 * @return the connection name
	 */
	String connection();

}
