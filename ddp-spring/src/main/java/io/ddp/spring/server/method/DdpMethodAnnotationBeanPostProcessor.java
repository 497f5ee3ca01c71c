package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link DdpMethod} of every bean, AOP proxies included, in the
 * {@link DdpMethodRegistry}. A second method with a name already taken fails startup with
 * a message naming both beans.
 *
 * @since 0.1.0
 */
public class DdpMethodAnnotationBeanPostProcessor extends AbstractDdpAnnotationBeanPostProcessor<DdpMethod> {

	/**
	 * Create a post-processor with the built-in argument resolvers.
	 */
	public DdpMethodAnnotationBeanPostProcessor() {
		super(DdpMethod.class);
	}

	/**
	 * Create a post-processor with custom argument resolvers as well.
	 * @param customResolvers supplies the custom resolvers, asked for once
	 */
	public DdpMethodAnnotationBeanPostProcessor(Supplier<List<DdpArgumentResolver>> customResolvers) {
		super(DdpMethod.class, customResolvers);
	}

	@Override
	protected DdpArgumentResolver sourceResolver() {
		return DdpArgumentResolver.forType(DdpMethodInvocation.class,
				(context) -> context.source(DdpMethodInvocation.class));
	}

	@Override
	protected void register(BeanFactory beanFactory, Object bean, String beanName, Method invocable, Method declared,
			DdpMethod annotation) {
		String name = StringUtils.hasText(annotation.name()) ? annotation.name() : declared.getName();
		beanFactory.getBean(DdpMethodRegistry.class)
			.register(name, new AnnotatedMethodHandler(beanName, invocable(beanFactory, bean, invocable)));
	}

}
