package io.github.pointclip.prompts;

import java.time.Duration;
import java.util.Objects;

/**
 * When a chat request is tried again: on 429 and 5xx statuses, timeouts, broken connections and malformed or
 * empty responses, at most {@code maxRetries} times after the first try. The wait before retry {@code k}
 * (from 0) is the server's {@code Retry-After} when it sends one, honoured in full up to
 * {@code maxRetryAfter} (a server that asks for longer fails the request at once, saying how long it asked
 * for: retrying earlier would only be refused again), else {@code initialDelay · 2^k} capped at
 * {@code maxDelay}, with jitter: a uniform draw in [½, 1] of that.
 *
 * @param maxRetries retries after the first try, ≥ 0 (default 5)
 * @param initialDelay the first backoff, positive (default 1 s)
 * @param maxDelay the longest backoff (default 60 s)
 * @param maxRetryAfter the longest {@code Retry-After} honoured, ≥ 0 (default 10 min)
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** The longest {@code Retry-After} honoured by default: 10 minutes. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(10);

    /** 5 retries, 1 s first backoff, at most 60 s of backoff, a {@code Retry-After} of up to 10 min honoured. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

    /** Never retries. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1));

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("retries must be ≥ 0, got " + maxRetries);
        }
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initial delay ≤ max delay, got " + initialDelay + " and "
                + maxDelay);
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("the longest Retry-After must be ≥ 0, got " + maxRetryAfter);
        }
    }

    /**
     * A policy that honours a {@code Retry-After} of up to {@link #DEFAULT_MAX_RETRY_AFTER}.
     *
     * @param maxRetries retries after the first try, ≥ 0
     * @param initialDelay the first backoff, positive
     * @param maxDelay the longest backoff
     */
    public RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {
        this(maxRetries, initialDelay, maxDelay, DEFAULT_MAX_RETRY_AFTER);
    }

    /**
     * @param retryAfter what the server asked for
     * @return whether it is more than this policy waits for
     */
    boolean refuses(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0;
    }

    /**
     * @param retry the retry about to be made, from 0
     * @param retryAfter what the server asked for, or null
     * @param uniform a draw in [0, 1)
     * @return how long to wait before it
     */
    Duration delay(int retry, Duration retryAfter, double uniform) {
        if (retryAfter != null) {
            return retryAfter.isNegative() ? Duration.ZERO : retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        }
        double backoff = Math.min(maxDelay.toNanos(), initialDelay.toNanos() * Math.pow(2, Math.min(retry, 40)));
        return Duration.ofNanos((long) (backoff * (0.5 + 0.5 * uniform)));
    }
}
