namespace TaskGrid.Paging;

/// <summary>Bounds of list page sizes.</summary>
public static class PageLimits
{
    /// <summary>The page size when none is asked for.</summary>
    public const int Default = 50;

    /// <summary>The largest page size.</summary>
    public const int Max = 500;
}
