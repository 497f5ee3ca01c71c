package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link DdpMethod} of every bean, AOP proxies included, in the
 * {@link DdpMethodRegistry}. A second method with a name already taken fails startup with
 * a message naming both beans.
 *
 * @author ddp-spring-boot
 * @since 0.1.0
 */
public class DdpMethodAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private static final boolean VALIDATION_PRESENT = ClassUtils.isPresent("jakarta.validation.Validator",
			DdpMethodAnnotationBeanPostProcessor.class.getClassLoader());

	// Classes known to have no @DdpMethod, so later beans of the same class cost nothing.
	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof DdpMethodRegistry || bean instanceof Ejson) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, DdpMethod.class)) {
			return bean;
		}
		Map<Method, DdpMethod> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<DdpMethod>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, DdpMethod.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		BeanFactory factory = this.beanFactory;
		if (factory == null) {
			throw new IllegalStateException("No BeanFactory to look up the DdpMethodRegistry");
		}
		DdpMethodRegistry registry = factory.getBean(DdpMethodRegistry.class);
		Ejson ejson = factory.getBean(Ejson.class);
		AnnotatedMethodHandler.ParameterValidator validator = validator(factory);
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String name = StringUtils.hasText(annotation.name()) ? annotation.name() : method.getName();
			registry.register(name, new AnnotatedMethodHandler(bean, beanName, invocable, ejson, validator));
		});
		return bean;
	}

	private static AnnotatedMethodHandler.@Nullable ParameterValidator validator(BeanFactory factory) {
		if (!VALIDATION_PRESENT) {
			return null;
		}
		jakarta.validation.Validator validator = factory.getBeanProvider(jakarta.validation.Validator.class)
			.getIfAvailable();
		return (validator != null) ? AnnotatedMethodHandler.ParameterValidator.of(validator) : null;
	}

}
