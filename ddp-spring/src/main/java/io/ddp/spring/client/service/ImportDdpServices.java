package io.ddp.spring.client.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Registers declarative DDP clients as beans: the listed interfaces, and every interface
 * annotated with {@link DdpService} in the given packages. Without types or packages, the
 * package of the annotated class is scanned.
 *
 * <pre class="code">
 * &#64;SpringBootApplication
 * &#64;ImportDdpServices
 * class MyApplication {
 * }
 * </pre>
 *
 * <p>
 * Each client is a bean named after its interface's fully qualified name, created through
 * a {@link DdpServiceProxyFactory} for the connection named by
 * {@link DdpService#connection()} (or {@link #connection()} for listed interfaces without
 * {@code @DdpService}). A connection that is not configured fails startup.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(DdpServicesRegistrar.class)
public @interface ImportDdpServices {

	/**
	 * Alias for {@link #types()}.
	 * @return the interfaces
	 */
	@AliasFor("types")
	Class<?>[] value() default {};

	/**
	 * Interfaces to register.
	 * @return the interfaces
	 */
	@AliasFor("value")
	Class<?>[] types() default {};

	/**
	 * Packages to scan for {@link DdpService} interfaces.
	 * @return the packages
	 */
	String[] basePackages() default {};

	/**
	 * Classes whose packages are scanned for {@link DdpService} interfaces.
	 * @return the classes
	 */
	Class<?>[] basePackageClasses() default {};

	/**
	 * Connection for listed interfaces that have no {@link DdpService} annotation.
	 * @return the connection name
	 */
	String connection() default "";

}
