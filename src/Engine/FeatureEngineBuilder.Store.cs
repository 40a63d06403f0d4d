using Dsl.Engine.Planning;

namespace Dsl.Engine;

public sealed partial class FeatureEngineBuilder
{
    private StoreAccess? BuildStore() => null;
}
