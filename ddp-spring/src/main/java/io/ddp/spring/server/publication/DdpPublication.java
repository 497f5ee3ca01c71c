package io.ddp.spring.server.publication;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as a DDP publication that clients subscribe to with
 * {@code {"msg":"sub"}} (Meteor's {@code Meteor.publish}).
 *
 * <p>
 * The subscription's {@code params} bind to the parameters as for
 * {@link io.ddp.spring.server.method.DdpMethod}; parameters of type
 * {@link ServerSubscription}, {@link io.ddp.spring.server.ClientConnection} or
 * {@link io.ddp.spring.server.method.MethodArguments} are injected, as are those a
 * {@link io.ddp.spring.server.method.DdpArgumentResolver} bean supports. Publish with the
 * low-level API of {@link ServerSubscription} ({@code added}, {@code changed},
 * {@code removed}, {@code ready}) and return nothing; as in Meteor, the client sees
 * {@code ready} only when the publication calls it. Or return a {@link PublishableCursor}
 * (such as a reactive collection's cursor), or a list or array of cursors on distinct
 * collections: their documents are published and kept live, and {@code ready} follows the
 * initial ones. Throwing stops the subscription with a {@code nosub} carrying the
 * (sanitized) error.
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface DdpPublication {

	/**
	 * Alias for {@link #name()}.
	 * @return the publication name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The publication name; defaults to the Java method name. Ignored for universal
	 * publications.
	 * @return the publication name
	 */
	@AliasFor("value")
	String name() default "";

	/**
	 * Whether this is a universal publication (Meteor's
	 * {@code Meteor.publish(null, ...)}): started for every session right after it
	 * connects, without a {@code sub}, never {@code ready}.
	 * @return whether the publication is universal
	 */
	boolean universal() default false;

}
