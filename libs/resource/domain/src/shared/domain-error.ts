// One DomainError for every context, so the HTTP layer and other contexts recognise each other's rejections.
export * from '@pm/shared/ddd';
