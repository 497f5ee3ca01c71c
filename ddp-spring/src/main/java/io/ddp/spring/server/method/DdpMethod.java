package io.ddp.spring.server.method;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as a DDP method that clients call with {@code {"msg":"method"}}
 * (Meteor's {@code Meteor.methods}).
 *
 * <p>
 * The call's positional {@code params} bind to the Java parameters in order, converted
 * with the application's Jackson mapper and EJSON: records, POJOs, generics,
 * {@code Optional}, {@code Instant}/{@code Date} ({@code $date}), {@code byte[]}
 * ({@code $binary}); missing trailing arguments are {@code null}, and a trailing varargs
 * parameter takes the rest. Parameters of type {@link DdpMethodInvocation},
 * {@link io.ddp.spring.server.ClientConnection} or {@link MethodArguments} (all arguments
 * as sent) are injected instead, as are those a {@link DdpArgumentResolver} bean
 * supports; they take no argument position. The return value is the result: {@code void}
 * sends no {@code result} field, {@code null} sends {@code "result":null}, returning
 * {@link DdpMethodHandler#NO_RESULT} sends no {@code result} field either, a
 * {@code CompletionStage} or Reactor {@code Mono} is awaited. Throw
 * {@link io.ddp.spring.protocol.DdpException} to send a Meteor error.
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface DdpMethod {

	/**
	 * Alias for {@link #name()}.
	 * @return the method name
	 */
	@AliasFor("name")
	String value() default "";

	/**
	 * The DDP method name, which may contain dots and slashes; defaults to the Java
	 * method name.
	 * @return the method name
	 */
	@AliasFor("value")
	String name() default "";

}
