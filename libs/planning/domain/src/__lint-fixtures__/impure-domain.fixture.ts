// Deliberately breaks the rule that domain libs stay pure; linted only by test/architecture.spec.ts.
import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export const forbidden = [Injectable, Pool];
