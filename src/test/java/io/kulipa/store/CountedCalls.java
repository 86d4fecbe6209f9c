package io.kulipa.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that passes every call to {@code target} and counts those of the named methods, for the store tests. */
final class CountedCalls {

    private CountedCalls() {
    }

    static <T> T of(Class<T> type, T target, Set<String> counted, AtomicInteger calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (counted.contains(method.getName())) {
                calls.incrementAndGet();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
