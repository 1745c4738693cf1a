namespace MedOps.Operator.Tests.TestSupport;

/// <summary>Polls a condition instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout}: {because}");
            }

            await Task.Delay(20);
        }
    }
}
