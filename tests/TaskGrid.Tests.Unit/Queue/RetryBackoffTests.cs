using FsCheck;
using FsCheck.Fluent;
using TaskGrid.Grains.Queue;

namespace TaskGrid.Tests.Unit.Queue;

public sealed class RetryBackoffTests
{
    private static readonly RetryBackoff s_policy = RetryBackoff.Default;

    // Jitter scales the step into [50%, 100%]: with jitter 0 the delay is half the step.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(11, 300)]
    [InlineData(50, 300)]
    [InlineData(int.MaxValue, 300)]
    public void The_default_schedule_doubles_from_one_second_and_is_capped_at_five_minutes(int failedAttempt, int stepSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(stepSeconds / 2.0), s_policy.Delay(failedAttempt, null, 0));
        Assert.InRange(s_policy.Delay(failedAttempt, null, 0.999999).TotalSeconds, stepSeconds * 0.999, stepSeconds);
    }

    [Fact]
    public void The_delay_lies_between_half_and_all_of_the_step_for_any_attempt_and_jitter()
    {
        var attempts = Gen.Choose(1, 200);
        var jitters = Gen.Choose(0, 999_999).Select(i => i / 1_000_000.0);
        Prop.ForAll(Arb.From(Gen.Zip(attempts, jitters)), sample =>
        {
            var (attempt, jitter) = sample;
            var step = Math.Min(Math.Pow(2, Math.Min(attempt - 1, 30)), 300);
            var delay = s_policy.Delay(attempt, null, jitter).TotalSeconds;
            return delay >= step * 0.5 - 1e-6 && delay <= step + 1e-6;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_delay_never_shrinks_as_attempts_grow_at_equal_jitter()
    {
        var attempts = Gen.Choose(1, 199);
        var jitters = Gen.Choose(0, 999_999).Select(i => i / 1_000_000.0);
        Prop.ForAll(Arb.From(Gen.Zip(attempts, jitters)), sample =>
            s_policy.Delay(sample.Item1 + 1, null, sample.Item2) >= s_policy.Delay(sample.Item1, null, sample.Item2))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Retry_after_wins_exactly_when_it_is_longer_than_the_backoff()
    {
        var attempts = Gen.Choose(1, 40);
        var jitters = Gen.Choose(0, 999_999).Select(i => i / 1_000_000.0);
        var retryAfters = Gen.Choose(0, 3_600_000).Select(ms => TimeSpan.FromMilliseconds(ms));
        var samples = Gen.Zip(attempts, Gen.Zip(jitters, retryAfters), (attempt, rest) => (Attempt: attempt, Jitter: rest.Item1, RetryAfter: rest.Item2));
        Prop.ForAll(Arb.From(samples), sample =>
        {
            var (attempt, jitter, retryAfter) = sample;
            var backoff = s_policy.Delay(attempt, null, jitter);
            var delay = s_policy.Delay(attempt, retryAfter, jitter);
            return delay == (retryAfter > backoff ? retryAfter : backoff);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_retry_after_beyond_the_cap_is_still_honoured() =>
        Assert.Equal(TimeSpan.FromMinutes(30), s_policy.Delay(20, TimeSpan.FromMinutes(30), 0.5));

    [Fact]
    public void A_custom_policy_uses_its_own_base_and_cap()
    {
        var policy = new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.Delay(1, null, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.Delay(3, null, 0));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Delay(10, null, 0));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(-1, 0.5)]
    [InlineData(1, -0.01)]
    [InlineData(1, 1.0)]
    [InlineData(1, 1.5)]
    public void Out_of_range_arguments_are_refused(int failedAttempt, double jitter) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => s_policy.Delay(failedAttempt, null, jitter));
}
