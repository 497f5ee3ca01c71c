package io.ddp.spring.client.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps a method of a {@link DdpService} interface to a subscription: the Java arguments
 * are the publication's parameters (a trailing varargs array is spread), and the method
 * returns the {@link io.ddp.spring.client.DdpSubscription}.
 *
 * @since 0.1.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DdpSubscribe {

	/**
	 * The publication name; empty for the Java method's name.
	 * @return the publication name
	 */
	String value() default "";

}
