namespace TaskGrid.Testing;

/// <summary>Waits, bounded, for a condition that other processes make true.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                last = ex;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}", last);
    }
}
