package io.ddp.spring.server.method;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds bean methods carrying a DDP annotation, AOP proxies included, and hands each to
 * {@link #register}. Classes without the annotation are remembered, so later beans of the
 * same class cost nothing.
 *
 * <p>
 * Parameters are resolved by, in order: the subclass's resolver of the call's source
 * ({@link DdpMethodInvocation} or subscription), resolvers of {@link ClientConnection}
 * and {@link MethodArguments}, then the custom resolvers given at construction; the rest
 * bind to the call's arguments.
 *
 * @param <A> the annotation type
 * @since 0.1.0
 */
public abstract class AbstractDdpAnnotationBeanPostProcessor<A extends Annotation>
		implements BeanPostProcessor, BeanFactoryAware {

	private static final boolean VALIDATION_PRESENT = ClassUtils.isPresent("jakarta.validation.Validator",
			AbstractDdpAnnotationBeanPostProcessor.class.getClassLoader());

	private final Class<A> annotationType;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final Supplier<List<DdpArgumentResolver>> customResolvers;

	private @Nullable BeanFactory beanFactory;

	private volatile @Nullable DdpArgumentResolverComposite argumentResolvers;

	/**
	 * Create a post-processor with the built-in argument resolvers only.
	 * @param annotationType the annotation to look for
	 */
	protected AbstractDdpAnnotationBeanPostProcessor(Class<A> annotationType) {
		this(annotationType, List::of);
	}

	/**
	 * Create a post-processor with custom argument resolvers.
	 * @param annotationType the annotation to look for
	 * @param customResolvers supplies the custom resolvers, asked for once, when the
	 * first annotated method registers (so resolver beans are not created early)
	 */
	protected AbstractDdpAnnotationBeanPostProcessor(Class<A> annotationType,
			Supplier<List<DdpArgumentResolver>> customResolvers) {
		this.annotationType = annotationType;
		this.customResolvers = customResolvers;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof Ejson) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, this.annotationType)) {
			return bean;
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		BeanFactory factory = beanFactory();
		methods.forEach((method, annotation) -> register(factory, bean, beanName,
				AopUtils.selectInvocableMethod(method, bean.getClass()), method, annotation));
		return bean;
	}

	private BeanFactory beanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("No BeanFactory to look up the DDP registries");
		}
		return this.beanFactory;
	}

	/**
	 * Prepare an annotated method for invocation, with the argument resolvers, the EJSON
	 * codec and the validator of the bean factory.
	 * @param beanFactory the bean factory
	 * @param bean the bean, possibly a proxy
	 * @param method the method to invoke on the bean
	 * @return the invocable method
	 */
	protected InvocableDdpHandlerMethod invocable(BeanFactory beanFactory, Object bean, Method method) {
		return new InvocableDdpHandlerMethod(bean, method, argumentResolvers(), beanFactory.getBean(Ejson.class),
				validator(beanFactory));
	}

	private DdpArgumentResolverComposite argumentResolvers() {
		DdpArgumentResolverComposite resolvers = this.argumentResolvers;
		if (resolvers == null) {
			resolvers = new DdpArgumentResolverComposite().addResolver(sourceResolver())
				.addResolver(DdpArgumentResolver.forType(ClientConnection.class, DdpInvocationContext::connection))
				.addResolver(DdpArgumentResolver.forType(MethodArguments.class, DdpInvocationContext::arguments))
				.addResolvers(this.customResolvers.get());
			this.argumentResolvers = resolvers;
		}
		return resolvers;
	}

	/**
	 * Return the resolver of parameters that receive the call's
	 * {@link DdpInvocationContext#source() source}.
	 * @return the resolver
	 */
	protected abstract DdpArgumentResolver sourceResolver();

	/**
	 * Register one annotated method.
	 * @param beanFactory the bean factory, to look up registries lazily
	 * @param bean the bean, possibly a proxy
	 * @param beanName the bean name
	 * @param invocable the method to invoke on the bean
	 * @param declared the annotated method as declared, for its default name
	 * @param annotation the annotation
	 */
	protected abstract void register(BeanFactory beanFactory, Object bean, String beanName, Method invocable,
			Method declared, A annotation);

	// Only when Bean Validation and a validator bean are present.
	private static @Nullable ParameterValidator validator(BeanFactory beanFactory) {
		if (!VALIDATION_PRESENT) {
			return null;
		}
		jakarta.validation.Validator validator = beanFactory.getBeanProvider(jakarta.validation.Validator.class)
			.getIfAvailable();
		return (validator != null) ? ParameterValidator.of(validator) : null;
	}

}
