/**
 * Declarative DDP clients: interfaces whose methods, annotated with
 * {@link io.ddp.spring.client.service.DdpCall} and
 * {@link io.ddp.spring.client.service.DdpSubscribe}, call remote methods and subscribe to
 * publications through a {@link io.ddp.spring.client.DdpConnection}.
 */
@NullMarked
package io.ddp.spring.client.service;

import org.jspecify.annotations.NullMarked;
