#Requires -Version 7.0
# The module in thread jobs, background jobs and ForEach-Object -Parallel over several cluster files, and argument
# completion, against the live lab cluster. Lab test: needs HATOOLS_LAB=1 and the lab up (tests/lab/lab.sh up 3);
# bootstraps examples/lab.yaml if the cluster is not formed. Stage the module first.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabClusters.ps1')
    if (-not $script:labSkip) {
        $script:work = Initialize-LabTest -Prefix rs
        $script:files = 1..3 | ForEach-Object { New-LabClusterFile -Folder $script:work -Name "rs-$_" }
    }
}

AfterAll {
    if ($script:work -and (Test-Path $script:work)) { Remove-Item $script:work -Recurse -Force }
}

Describe 'Jobs and runspaces over several live cluster files (lab)' -Tag Lab {
    It 'ForEach-Object -Parallel: one status per file, each from its own runspace' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $got = $script:files | ForEach-Object -Parallel {
            Import-Module $using:m
            Get-HaStatus -Path $_
        } -ThrottleLimit 3
        (@($got).Name | Sort-Object) | Should -Be @('rs-1', 'rs-2', 'rs-3')
        $got | ForEach-Object { $_.Quorate | Should -BeTrue }
    }

    It 'Start-ThreadJob: the nodes of each cluster' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $jobs = foreach ($f in $script:files) {
            Start-ThreadJob -ArgumentList $m, $f -ScriptBlock { param($m, $f) Import-Module $m; Get-HaNode -Path $f }
        }
        $nodes = @($jobs | Receive-Job -Wait -AutoRemoveJob)
        $nodes.Count | Should -Be 9
        ($nodes | Where-Object Online).Count | Should -Be 9
    }

    It 'Start-Job: a command on every node, in another pwsh process' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $job = Start-Job -ArgumentList $script:manifest, $script:files -ScriptBlock {
            param($m, $files)
            Import-Module $m
            foreach ($f in $files) { Invoke-HaCommand -Path $f -All -Command uname -ArgumentList '-n' }
        }
        $got = @($job | Receive-Job -Wait -AutoRemoveJob)
        $got.Count | Should -Be 9
        ($got.StdOut | ForEach-Object Trim | Sort-Object -Unique) | Should -Be @('node1', 'node2', 'node3')
        $got | ForEach-Object { $_.ExitCode | Should -Be 0 }
    }

    It 'a cluster object from Get-HaCluster travels into ForEach-Object -Parallel' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $clusters = $script:files | ForEach-Object { Get-HaCluster -Path $_ }
        $got = $clusters | ForEach-Object -Parallel { Import-Module $using:m; Get-HaResource -Cluster $_ }
        @($got).Count | Should -Be 6
        ($got.Name | Sort-Object -Unique) | Should -Be @('svc', 'vip')
    }
}

Describe 'Argument completion with the cluster live (lab)' -Tag Lab {
    It 'completes the live cluster''s node names' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Suspend-HaNode -Path '$($script:files[0])' -Name node"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('node1', 'node2', 'node3')
    }

    It 'completes the resource names of the file, which the live cluster runs' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Move-HaResource -Path '$($script:labYaml)' -Name "
        $completed = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completed | Should -Be @('svc', 'vip')
        $live = (Get-HaResource -Path $script:labYaml).Name | Sort-Object -Unique
        $completed | Should -Be $live
    }
}
