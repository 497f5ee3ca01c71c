package io.ddp.spring.client.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps a method of a {@link DdpService} interface to a remote method call. The Java
 * arguments are the call's {@code params} (a trailing varargs array is spread). The
 * return type decides how the call runs:
 * <ul>
 * <li>{@code T} (any type, generics included): blocks until the result arrived and its
 * data is visible, and converts the result to {@code T}; a {@code void} method ignores
 * the result. Errors are thrown as {@link io.ddp.spring.protocol.DdpException}.</li>
 * <li>{@code CompletableFuture<T>} (or {@code CompletionStage<T>}, {@code Future<T>}):
 * returns at once; the future completes with the converted result or fails with the
 * {@code DdpException}; {@code CompletableFuture<Void>} ignores the result.</li>
 * </ul>
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DdpCall {

	/**
	 * The remote method name; empty for the Java method's name.
	 * @return the method name
	 */
	String value() default "";

	/**
	 * Whether to call with Meteor's {@code wait: true}: sent only after every earlier
	 * call finished, and later calls wait for it.
	 * @return whether to wait
	 */
	boolean waitForOthers() default false;

	/**
	 * Whether the call fails with {@code invocation-failed} instead of being sent again
	 * when the connection drops before its result arrived.
	 * @return whether not to retry
	 */
	boolean noRetry() default false;

	/**
	 * How long the call may take, e.g. {@code "5s"} or {@code "PT5S"}; empty for the
	 * connection's {@code call-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
