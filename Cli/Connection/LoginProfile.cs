namespace TaskGrid.Cli.Connection;

/// <summary>What <c>taskgrid login</c> remembers: a gateway and the API key to use with it.</summary>
/// <param name="Url">The gateway's address.</param>
/// <param name="ApiKey">The API key for that gateway.</param>
internal sealed record LoginProfile(string Url, string ApiKey);
