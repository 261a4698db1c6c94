using TaskGrid.Access;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Who is calling. Until API keys land (issue 3) every caller acts with full access and names the owner in the body.</summary>
internal static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) => Access.Caller.System;
}
