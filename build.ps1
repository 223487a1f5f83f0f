#Requires -Version 5.1
<#
.SYNOPSIS
    HaTools build entry: Build, Test, Package, Docs. Calls the same dotnet commands a machine without PowerShell runs.

.EXAMPLE
    ./build.ps1                       # Build: compile (warnings are errors) and stage out/HaTools/<version>/
    ./build.ps1 -Task Test            # Build, xunit, then Pester in a child pwsh when pwsh exists
    ./build.ps1 -Task Docs            # update docs/commands/*.md from the compiled cmdlets (prose kept)
    ./build.ps1 -Task Package         # Build + out/HaTools.<version>.zip

    Without PowerShell:
      dotnet build HaTools.sln -c Release
      dotnet run --project build/HelpGen -c Release -- stage --configuration Release
      dotnet test tests/HaTools.Tests -c Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Docs')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot

function Invoke-Dotnet {
    Write-Host "dotnet $args" -ForegroundColor Cyan
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content (Join-Path $PSScriptRoot 'Directory.Build.props') -Raw
    @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
}

$script:done = @{}
function Invoke-Task([string] $Name) {
    if ($script:done[$Name]) { return }
    $script:done[$Name] = $true
    switch ($Name) {
        'Build' {
            Invoke-Dotnet build HaTools.sln -c $Configuration
            Invoke-Dotnet run --project build/HelpGen -c $Configuration --no-build -- stage --configuration $Configuration
        }
        'Docs' {
            Invoke-Dotnet build src/HaTools -c $Configuration
            Invoke-Dotnet run --project build/HelpGen -c $Configuration -- markdown --configuration $Configuration
        }
        'Test' {
            Invoke-Task 'Build'
            Invoke-Dotnet test tests/HaTools.Tests -c $Configuration --no-build
            $pwsh = Get-Command pwsh -ErrorAction Ignore
            if ($pwsh) {
                $pester = "`$c = New-PesterConfiguration; `$c.Run.Path = 'tests/Pester'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
                & $pwsh.Source -NoProfile -NonInteractive -Command $pester
                if ($LASTEXITCODE -ne 0) { throw "Pester failed ($LASTEXITCODE)" }
            }
            else {
                Write-Host 'Pester: skipped (pwsh not installed)'
            }
        }
        'Package' {
            Invoke-Task 'Build'
            $version = Get-ModuleVersion
            $zip = Join-Path $PSScriptRoot "out/HaTools.$version.zip"
            if (Test-Path $zip) { Remove-Item $zip }
            Compress-Archive -Path (Join-Path $PSScriptRoot "out/HaTools/$version") -DestinationPath $zip
            Write-Host "packaged $zip"
        }
    }
}

try {
    foreach ($t in $Task) { Invoke-Task $t }
}
finally {
    Pop-Location
}
